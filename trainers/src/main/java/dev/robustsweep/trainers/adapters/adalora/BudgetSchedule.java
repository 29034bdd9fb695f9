package dev.robustsweep.trainers.adapters.adalora;

/**
 * AdaLoRA's cubic budget schedule (Zhang et al. 2023, eq. 12; PEFT RankAllocator.budget_schedule)
 * over the trial's total optimizer steps T:
 * <pre>
 *   step <= tinit:                 budget = init budget,   no masking
 *   step >  T - tfinal:            budget = target budget, masking (the fixed final pattern)
 *   otherwise:                     budget = int((init - target) (1 - (step - tinit) / (T - tfinal - tinit))^3 + target),
 *                                  masking when step % deltaT == 0
 * </pre>
 *
 * @param initBudget   init_r x adapted layers
 * @param targetBudget target_r x adapted layers
 * @param tinit        warm-up steps without masking
 * @param tfinal       final steps with the rank pattern fixed
 * @param totalSteps   T, the trial's optimizer steps
 * @param deltaT       steps between two budget allocations
 */
public record BudgetSchedule(int initBudget, int targetBudget, int tinit, int tfinal, int totalSteps, int deltaT) {
    /** {@code adalora.phase_defaults} value: unset tinit / tfinal are PEFT AdaLoraConfig's defaults, 0 and 0. */
    public static final String PEFT_DEFAULTS = "peft";
    /** {@code adalora.phase_defaults} value: unset tinit / tfinal are 10% / 20% of the trial's total steps. */
    public static final String FRACTION_DEFAULTS = "fractions";
    /** Warm-up under "fractions": 10% of the total steps. */
    public static final double FRACTION_TINIT = 0.10;
    /** Final phase under "fractions": 20% of the total steps. */
    public static final double FRACTION_TFINAL = 0.20;

    public BudgetSchedule {
        if (!(tinit < totalSteps - tfinal)) {
            throw new IllegalArgumentException("adalora.tinit / adalora.tfinal: need tinit < total_steps - tfinal, got tinit "
                    + tinit + ", tfinal " + tfinal + ", total_steps " + totalSteps);
        }
        if (deltaT <= 0) throw new IllegalArgumentException("adalora.deltaT: must be > 0, got " + deltaT);
    }

    /** tinit as set, else PEFT's 0 ("peft") or floor(10% of T) ("fractions"). */
    public static int resolveTinit(Integer tinit, String phaseDefaults, int totalSteps) {
        if (tinit != null) return tinit;
        return FRACTION_DEFAULTS.equals(phaseDefaults) ? (int) Math.floor(FRACTION_TINIT * totalSteps) : 0;
    }

    /**
     * tfinal as set, else PEFT's 0 ("peft") or floor(20% of T) ("fractions"). With either default pair
     * tinit < T - tfinal holds for every T >= 1.
     */
    public static int resolveTfinal(Integer tfinal, String phaseDefaults, int totalSteps) {
        if (tfinal != null) return tfinal;
        return FRACTION_DEFAULTS.equals(phaseDefaults) ? (int) Math.floor(FRACTION_TFINAL * totalSteps) : 0;
    }

    /** The budget (number of ranks kept over all layers) at a step. */
    public int budget(int step) {
        if (step <= tinit) return initBudget;
        if (step > totalSteps - tfinal) return targetBudget;
        double mulCoeff = 1 - (double) (step - tinit) / (totalSteps - tfinal - tinit);
        return (int) ((initBudget - targetBudget) * mulCoeff * mulCoeff * mulCoeff + targetBudget);
    }

    /** Whether E is masked to the budget after this step (between tinit and T - tfinal: every deltaT steps). */
    public boolean masks(int step) {
        if (step <= tinit) return false;
        if (step > totalSteps - tfinal) return true;
        return step % deltaT == 0;
    }

    /** The step at which the final rank pattern is fixed: T - tfinal. */
    public int finalStep() {
        return totalSteps - tfinal;
    }
}
