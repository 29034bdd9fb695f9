package dev.robustsweep.reports.render;

import dev.robustsweep.reports.ComparisonRow;
import dev.robustsweep.reports.RobustnessRow;
import java.util.List;

/** robustness.csv and tests.csv (column lists fixed by issue 5). */
public final class CsvWriters {
    /** tests.csv header, exactly as issue 5 specifies. */
    public static final String TESTS_HEADER =
            "family,task,metric,method_a,method_b,n,statistic,p_value,p_holm,alternative,test_method,effect_size";
    /** robustness.csv header: one row per task, method, metric. */
    public static final String ROBUSTNESS_HEADER =
            "task,method,metric,n,robustness,median,spread,iqr,best,worst,mean,sd,diverged,failed";

    private CsvWriters() {
    }

    public static String robustness(List<RobustnessRow> rows) {
        StringBuilder sb = new StringBuilder(ROBUSTNESS_HEADER).append('\n');
        for (RobustnessRow r : rows) {
            sb.append(cell(r.task())).append(',').append(cell(r.method())).append(',').append(cell(r.metric())).append(',')
                    .append(r.n()).append(',').append(Numbers.csv(r.robustness())).append(',')
                    .append(Numbers.csv(r.median())).append(',').append(Numbers.csv(r.spread())).append(',')
                    .append(Numbers.csv(r.iqr())).append(',').append(Numbers.csv(r.best())).append(',')
                    .append(Numbers.csv(r.worst())).append(',').append(Numbers.csv(r.mean())).append(',')
                    .append(Numbers.csv(r.sd())).append(',').append(r.diverged()).append(',').append(r.failed())
                    .append('\n');
        }
        return sb.toString();
    }

    public static String tests(List<ComparisonRow> rows) {
        StringBuilder sb = new StringBuilder(TESTS_HEADER).append('\n');
        for (ComparisonRow r : rows) {
            sb.append(r.family().label()).append(',').append(cell(r.task())).append(',').append(cell(r.metric())).append(',')
                    .append(cell(r.methodA())).append(',').append(cell(r.methodB())).append(',').append(r.n()).append(',')
                    .append(Numbers.csv(r.statistic())).append(',').append(Numbers.csv(r.pValue())).append(',')
                    .append(Numbers.csv(r.pHolm())).append(',').append(r.alternative()).append(',')
                    .append(r.testMethod()).append(',').append(Numbers.csv(r.effectSize())).append('\n');
        }
        return sb.toString();
    }

    /** RFC 4180 quoting when needed. */
    static String cell(String s) {
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
