package dev.robustsweep.engine.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parses output captured from Slurm 22.05.8 (Debian 12): a 5-task array, %2 throttle, task 1 scancel'd. */
class SlurmStatusParserTest {

    /** squeue -h -r -t all -j 6 -o '%F|%K|%A|%T|%r' */
    static final String SQUEUE = """
            6|1|8|CANCELLED|None
            6|3|6|PENDING|JobArrayTaskLimit
            6|4|6|PENDING|JobArrayTaskLimit
            6|2|9|RUNNING|None
            6|0|7|RUNNING|None
            """;

    /** scontrol -o show job 6 (fields after ExitCode cut) */
    static final String SCONTROL = """
            JobId=6 ArrayJobId=6 ArrayTaskId=3-4%2 ArrayTaskThrottle=2 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901757 Nice=0 Account=(null) QOS=(null) JobState=PENDING Reason=JobArrayTaskLimit Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:00 TimeLimit=UNLIMITED
            JobId=9 ArrayJobId=6 ArrayTaskId=2 ArrayTaskThrottle=2 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901757 Nice=0 Account=(null) QOS=(null) JobState=RUNNING Reason=None Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:01 TimeLimit=UNLIMITED
            JobId=8 ArrayJobId=6 ArrayTaskId=1 ArrayTaskThrottle=2 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901757 Nice=0 Account=(null) QOS=(null) JobState=CANCELLED Reason=None Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:15 RunTime=00:00:01 TimeLimit=UNLIMITED
            JobId=7 ArrayJobId=6 ArrayTaskId=0 ArrayTaskThrottle=2 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901757 Nice=0 Account=(null) QOS=(null) JobState=RUNNING Reason=None Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:01 TimeLimit=UNLIMITED
            """;

    @Test
    void squeueGivesOneStatusPerTask() {
        List<SlurmTaskStatus> t = SlurmStatusParser.parseSqueue("6", SQUEUE);
        assertEquals(5, t.size());
        assertEquals(new SlurmTaskStatus("6", 1, "8", SlurmJobState.CANCELLED, "None", null), t.get(0));
        assertEquals(new SlurmTaskStatus("6", 3, "6", SlurmJobState.PENDING, "JobArrayTaskLimit", null), t.get(1));
        assertEquals(SlurmJobState.RUNNING, t.get(4).state());
        // lines of another array are ignored
        assertEquals(List.of(), SlurmStatusParser.parseSqueue("7", SQUEUE));
    }

    @Test
    void scontrolExpandsThePendingRangeAndCarriesExitCodes() {
        List<SlurmTaskStatus> t = SlurmStatusParser.parseScontrol("6", SCONTROL);
        assertEquals(List.of(3, 4, 2, 1, 0), t.stream().map(SlurmTaskStatus::taskId).toList());
        SlurmTaskStatus cancelled = t.get(3);
        assertEquals(SlurmJobState.CANCELLED, cancelled.state());
        assertEquals(new SlurmExitCode(0, 15), cancelled.exitCode());
        assertEquals("8", cancelled.jobId());
        assertEquals("Slurm CANCELLED, exit code 0:15 (array job 6, task 1)", cancelled.failureReason());
        assertEquals("JobArrayTaskLimit", t.get(0).reason());
    }

    @Test
    void sacctRowsIncludingAPendingRange() {
        // sacct -n -P -X -j 12 -o JobID,JobIDRaw,State,ExitCode,Reason (format per the sacct manual)
        String out = """
                12_0|13|COMPLETED|0:0|None
                12_1|14|TIMEOUT|0:0|None
                12_2|15|CANCELLED by 0|0:15|None
                12_3|16|OUT_OF_MEMORY|0:125|None
                12_[4-5%2]|12|PENDING|0:0|JobArrayTaskLimit
                """;
        List<SlurmTaskStatus> t = SlurmStatusParser.parseSacct("12", out);
        assertEquals(List.of(0, 1, 2, 3, 4, 5), t.stream().map(SlurmTaskStatus::taskId).toList());
        assertEquals(SlurmJobState.TIMEOUT, t.get(1).state());
        assertEquals(SlurmJobState.CANCELLED, t.get(2).state());
        assertEquals(new SlurmExitCode(0, 15), t.get(2).exitCode());
        assertEquals(SlurmJobState.OUT_OF_MEMORY, t.get(3).state());
        assertEquals(SlurmJobState.PENDING, t.get(5).state());
    }

    @Test
    void taskIdExpressions() {
        assertEquals(List.of(3), SlurmStatusParser.expandTaskIds("3"));
        assertEquals(List.of(3, 4, 5), SlurmStatusParser.expandTaskIds("3-5%2"));
        assertEquals(List.of(1, 4, 5, 9), SlurmStatusParser.expandTaskIds("1,4-5,9"));
        assertEquals(List.of(0, 4, 8), SlurmStatusParser.expandTaskIds("0-9:4"));
    }
}
