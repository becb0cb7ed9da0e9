package dev.bayesnf.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bayesnf} command line: {@code fit}, {@code predict}, {@code forecast},
 * {@code interpolate} (GeoTIFF rasters), {@code bench} and {@code devices}. Bad input
 * ends with a one-line message on standard error and exit code 2; no output file is left behind.
 */
@Command(name = "bayesnf", mixinStandardHelpOptions = true, versionProvider = BayesNFCommand.Version.class,
        description = "Bayesian Neural Fields for spatiotemporal prediction (Saad et al., Nature Communications 2024).",
        subcommands = {ServeCommand.class, FitCommand.class, PredictCommand.class, ForecastCommand.class,
            InterpolateCommand.class, VariogramCommand.class, BenchCommand.class, ServiceBenchCommand.class, ScoreCommand.class,
            UsersCommand.class, DevicesCommand.class,
            CommandLine.HelpCommand.class})
public final class BayesNFCommand implements Callable<Integer> {
    /** Exit code for bad input or usage. */
    static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** Runs the command line and returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new BayesNFCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            java.util.List<String> unmatched = ex.getCommandLine().getParseResult() == null ? java.util.List.of()
                    : ex.getCommandLine().getParseResult().unmatched();
            String msg = unmatched.isEmpty() ? ex.getMessage().split("\n")[0]
                    : "unknown option or argument '" + unmatched.get(0) + "' (see --help)";
            err.println("bayesnf: " + msg);
            err.flush();
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            err.println("bayesnf: " + oneLine(ex));
            err.flush();
            return isBadInput(ex) ? BAD_INPUT : 1;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    static boolean isBadInput(Throwable ex) {
        return ex instanceof IllegalArgumentException || ex instanceof java.io.IOException
                || ex instanceof IllegalStateException || ex instanceof UnsupportedOperationException;
    }

    static String oneLine(Throwable ex) {
        // the model's checks name a setting; here it is called by its option
        String m = ex instanceof dev.bayesnf.core.SettingException se ? se.messageFor(se.setting().option())
                // the JDK's file exceptions carry only the path: say what is wrong with it
                : ex instanceof java.nio.file.NoSuchFileException nf ? nf.getFile() + ": no such file"
                : ex instanceof java.nio.file.AccessDeniedException ad ? ad.getFile() + ": permission denied"
                : ex.getMessage();
        if (m == null || m.isBlank()) {
            m = ex.getClass().getSimpleName();
        }
        return m.replace('\n', ' ');
    }

    public static void main(String[] args) {
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(code);
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"bayesnf " + dev.bayesnf.core.Versions.PROJECT};
        }
    }
}
