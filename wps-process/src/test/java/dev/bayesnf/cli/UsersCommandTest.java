package dev.bayesnf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bayesnf.service.jobs.JobStore;
import dev.bayesnf.service.security.Accounts;
import dev.bayesnf.service.security.Principal;
import dev.bayesnf.service.security.Role;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bayesnf users add|list|remove} on the service's database. */
class UsersCommandTest {
    @TempDir
    Path dir;

    @Test
    void addListRemove() throws Exception {
        String data = dir.resolve("data").toString();
        CommandLineTest.Run add = CommandLineTest.run("users", "add", "ana", "--role", "analyst", "--data-dir", data);
        assertEquals(0, add.code(), add.err());
        String token = add.out().lines().reduce((a, b) -> b).orElseThrow().trim();
        assertTrue(token.startsWith("bnf_"), add.out());
        try (JobStore store = new JobStore(JobStore.h2Url(dir.resolve("data").toAbsolutePath()))) {
            assertEquals(new Principal("ana", Role.ANALYST), new Accounts(store).authenticate("Bearer " + token,
                    Optional.empty()));
        }
        CommandLineTest.Run list = CommandLineTest.run("users", "list", "--data-dir", data);
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().startsWith("ana\tanalyst\t"), list.out());
        assertFalse(list.out().contains(token));

        CommandLineTest.Run twice = CommandLineTest.run("users", "add", "ana", "--role", "viewer", "--data-dir", data);
        assertEquals(2, twice.code());
        assertEquals("bayesnf: there is already an account 'ana'", twice.err().trim());
        CommandLineTest.Run role = CommandLineTest.run("users", "add", "bob", "--role", "boss", "--data-dir", data);
        assertEquals(2, role.code());
        assertTrue(role.err().contains("unknown role 'boss'"), role.err());

        assertEquals(0, CommandLineTest.run("users", "remove", "ana", "--data-dir", data).code());
        CommandLineTest.Run gone = CommandLineTest.run("users", "remove", "ana", "--data-dir", data);
        assertEquals(2, gone.code());
        assertEquals("bayesnf: there is no account 'ana'", gone.err().trim());
    }
}
