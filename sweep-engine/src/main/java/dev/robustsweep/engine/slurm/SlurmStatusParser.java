package dev.robustsweep.engine.slurm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the task states of one array job from squeue, scontrol and sacct output (Slurm 22.05 formats). */
public final class SlurmStatusParser {
    /** squeue output format: array job id, array task id, job id, long state, reason. */
    public static final String SQUEUE_FORMAT = "%F|%K|%A|%T|%r";
    /** sacct fields (with -P, '|'-separated). */
    public static final String SACCT_FIELDS = "JobID,JobIDRaw,State,ExitCode,Reason";

    private static final Pattern SCONTROL_FIELD = Pattern.compile("(?:^|\\s)(JobId|ArrayJobId|ArrayTaskId|JobState|Reason|ExitCode)=(\\S*)");
    private static final Pattern SACCT_ID = Pattern.compile("(\\d+)_(\\d+|\\[[^\\]]*\\])");

    private SlurmStatusParser() {}

    /** Lines of {@code squeue -h -r -t all -o SQUEUE_FORMAT}; lines of other jobs are skipped. */
    public static List<SlurmTaskStatus> parseSqueue(String arrayJobId, String output) {
        List<SlurmTaskStatus> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            String[] f = line.trim().split("\\|", 5);
            if (f.length < 5 || !f[0].equals(arrayJobId) || !f[1].matches("\\d+")) continue;
            out.add(new SlurmTaskStatus(arrayJobId, Integer.parseInt(f[1]), f[2], SlurmJobState.parse(f[3]), f[4], null));
        }
        return out;
    }

    /**
     * Lines of {@code scontrol -o show job ARRAY}: one per split-off task, plus one for the still-pending
     * remainder whose ArrayTaskId is a range ("3-4%2", "1,5-7"), expanded here to one status per task.
     */
    public static List<SlurmTaskStatus> parseScontrol(String arrayJobId, String output) {
        List<SlurmTaskStatus> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            Map<String, String> kv = new LinkedHashMap<>();
            Matcher m = SCONTROL_FIELD.matcher(line);
            while (m.find()) kv.putIfAbsent(m.group(1), m.group(2));
            if (!arrayJobId.equals(kv.get("ArrayJobId")) || kv.get("ArrayTaskId") == null) continue;
            SlurmJobState state = SlurmJobState.parse(kv.get("JobState"));
            SlurmExitCode exit = SlurmExitCode.parse(kv.get("ExitCode"));
            for (int task : expandOrEmpty(kv.get("ArrayTaskId"))) {
                out.add(new SlurmTaskStatus(arrayJobId, task, kv.get("JobId"), state, kv.get("Reason"), exit));
            }
        }
        return out;
    }

    /** Lines of {@code sacct -n -P -X -j ARRAY -o SACCT_FIELDS} (only usable when accounting storage is on). */
    public static List<SlurmTaskStatus> parseSacct(String arrayJobId, String output) {
        List<SlurmTaskStatus> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            String[] f = line.trim().split("\\|", 5);
            if (f.length < 5) continue;
            Matcher m = SACCT_ID.matcher(f[0]);
            if (!m.matches() || !m.group(1).equals(arrayJobId)) continue;
            String tasks = m.group(2).startsWith("[") ? m.group(2).substring(1, m.group(2).length() - 1) : m.group(2);
            for (int task : expandOrEmpty(tasks)) {
                out.add(new SlurmTaskStatus(arrayJobId, task, f[1], SlurmJobState.parse(f[2]), f[4],
                        SlurmExitCode.parse(f[3])));
            }
        }
        return out;
    }

    private static List<Integer> expandOrEmpty(String expr) {
        try {
            return expandTaskIds(expr);
        } catch (NumberFormatException e) {
            return List.of(); // not a task id expression (e.g. "N/A" for a plain job)
        }
    }

    /** Expands Slurm's task id expression: "3", "3-6", "1,4-5", with an optional "%N" throttle suffix. */
    public static List<Integer> expandTaskIds(String expr) {
        List<Integer> ids = new ArrayList<>();
        String body = expr.contains("%") ? expr.substring(0, expr.indexOf('%')) : expr;
        for (String part : body.split(",")) {
            if (part.isBlank()) continue;
            String[] range = part.split("-", 2);
            int from = Integer.parseInt(range[0].trim());
            int to = range.length > 1 ? Integer.parseInt(range[1].split(":")[0].trim()) : from;
            int step = range.length > 1 && range[1].contains(":") ? Integer.parseInt(range[1].split(":")[1].trim()) : 1;
            for (int i = from; i <= to; i += step) ids.add(i);
        }
        return ids;
    }
}
