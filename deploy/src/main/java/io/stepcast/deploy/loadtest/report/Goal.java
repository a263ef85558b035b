package io.stepcast.deploy.loadtest.report;

/** One goal of the benchmark, judged from one run; {@code met} is null when not measured. */
public record Goal(String goal, String target, String measured, Boolean met) {}
