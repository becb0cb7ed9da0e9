package dev.bayesnf.cli;

import dev.bayesnf.service.jobs.JobStore;
import dev.bayesnf.service.security.Accounts;
import dev.bayesnf.service.security.Role;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code bayesnf users add|remove|list}: the service's accounts, in its job database (the same
 * {@code --data-dir} or {@code --database-url} as {@code serve}). With the embedded H2 database,
 * stop the service first (H2 allows one process at a time) or use its {@code /admin/users} API; a
 * PostgreSQL database can be changed while the service runs (it sees new accounts within 5 s).
 */
@Command(name = "users", mixinStandardHelpOptions = true, description = "Manage the service's accounts.",
        subcommands = {UsersCommand.Add.class, UsersCommand.Remove.class, UsersCommand.ListUsers.class})
final class UsersCommand implements Callable<Integer> {
    @Option(names = "--data-dir", defaultValue = "bayesnf-data", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "The service's data directory (default ./${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--database-url", paramLabel = "JDBC-URL", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "The service's database, when not the H2 file in the data directory.")
    String databaseUrl;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    JobStore open() {
        String url = databaseUrl != null ? databaseUrl : JobStore.h2Url(dataDir.toAbsolutePath());
        if (databaseUrl == null) {
            try {
                java.nio.file.Files.createDirectories(dataDir);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot create the data directory " + dataDir + " (" + e.getMessage() + ")");
            }
        }
        try {
            return new JobStore(url);
        } catch (SQLException e) {
            String m = e.getMessage() == null ? "" : e.getMessage().split("\n")[0];
            throw new IllegalStateException("cannot open the service's database"
                    + (m.contains("already in use") || m.contains("locked") ? ": the service is running (the embedded"
                            + " database allows one process at a time: stop it first, or use the service's"
                            + " /admin/users API as an administrator)" : " (" + m + ")"));
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add an account; prints its API token once.")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        UsersCommand parent;

        @Parameters(index = "0", paramLabel = "NAME", description = "Account name (letters, digits, . _ @ -).")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "viewer (WMS and descriptions), forecaster (every process but Fit), analyst (Fit too) or admin.")
        String role;

        @Option(names = "--password-stdin", description = "Read a password for HTTP Basic from standard input (one line;"
                + " at least 8 characters). Without it the account uses its API token only.")
        boolean passwordStdin;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Role r = Role.parse(role);
            char[] password = null;
            if (passwordStdin) {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    throw new IllegalArgumentException("--password-stdin: no password on standard input");
                }
                password = line.toCharArray();
            }
            try (JobStore store = parent.open()) {
                String token = new Accounts(store).add(name, r, password);
                spec.commandLine().getOut().println("account " + name + " (" + r.id() + ") added; its API token, shown"
                        + " only now (Authorization: Bearer TOKEN):");
                spec.commandLine().getOut().println(token);
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an account.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        UsersCommand parent;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (JobStore store = parent.open()) {
                if (!new Accounts(store).remove(name)) {
                    throw new IllegalArgumentException("there is no account '" + name + "'");
                }
            }
            spec.commandLine().getOut().println("account " + name + " removed");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the accounts: name, role, created.")
    static final class ListUsers implements Callable<Integer> {
        @ParentCommand
        UsersCommand parent;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (JobStore store = parent.open()) {
                for (JobStore.UserRow u : new Accounts(store).list()) {
                    spec.commandLine().getOut().println(u.name() + "\t" + u.role() + "\t" + u.created());
                }
            }
            return 0;
        }
    }
}
