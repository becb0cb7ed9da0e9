/**
 * The {@code bayesnf} command line (picocli): fit, predict, forecast, interpolate, variogram,
 * score, bench, serve and users, with their options, one-line errors and exit codes (2 for bad
 * input); the CSV tables they read and write are the processes'
 * ({@link dev.bayesnf.service.process.CsvTables}).
 *
 * <p>Owns: option names and their words in messages, progress output, atomic writes of output
 * files. Must not hold model or service logic of its own: commands call the core model, the
 * processes and the service as any other front end does.
 */
package dev.bayesnf.cli;
