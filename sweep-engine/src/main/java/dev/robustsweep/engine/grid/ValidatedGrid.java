package dev.robustsweep.engine.grid;

import dev.robustsweep.trainers.trial.TrialConfig;
import java.util.List;

/** A grid that passed every check, its trials in expansion order, and what its checks learned about models and data. */
public record ValidatedGrid(SweepGrid grid, List<TrialConfig> trials, GridResources resources) {}
