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
    /** Default warm-up when a grid does not set tinit: 10% of the total steps. */
    public static final double DEFAULT_TINIT_FRACTION = 0.10;
    /** Default final phase when a grid does not set tfinal: 20% of the total steps. */
    public static final double DEFAULT_TFINAL_FRACTION = 0.20;

    public BudgetSchedule {
        if (!(tinit < totalSteps - tfinal)) {
            throw new IllegalArgumentException("adalora.tinit / adalora.tfinal: need tinit < total_steps - tfinal, got tinit "
                    + tinit + ", tfinal " + tfinal + ", total_steps " + totalSteps);
        }
        if (deltaT <= 0) throw new IllegalArgumentException("adalora.deltaT: must be > 0, got " + deltaT);
    }

    /** tinit as set, or floor(10% of T). */
    public static int resolveTinit(Integer tinit, int totalSteps) {
        return tinit != null ? tinit : (int) Math.floor(DEFAULT_TINIT_FRACTION * totalSteps);
    }

    /** tfinal as set, or floor(20% of T). With both defaults tinit < T - tfinal holds for every T >= 1. */
    public static int resolveTfinal(Integer tfinal, int totalSteps) {
        return tfinal != null ? tfinal : (int) Math.floor(DEFAULT_TFINAL_FRACTION * totalSteps);
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
