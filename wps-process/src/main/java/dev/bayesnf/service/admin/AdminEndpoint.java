package dev.bayesnf.service.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bayesnf.service.http.Endpoint;
import dev.bayesnf.service.http.HttpReply;
import dev.bayesnf.service.http.Kvp;
import dev.bayesnf.service.security.Accounts;
import dev.bayesnf.service.security.Principal;
import dev.bayesnf.service.security.Role;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts over HTTP, for administrators ({@code /admin/users}), so that they can be managed
 * while the service runs, on the embedded database too (which {@code bayesnf users} can only
 * open with the service stopped). JSON in and out; every refusal is a JSON problem document.
 *
 * <ul>
 *   <li>{@code GET /admin/users}: every account (name, role, whether it has a password, created);
 *   <li>{@code POST /admin/users} {@code {"name", "role", "password"?}}: adds an account, 201 with
 *       its API token (shown only in this answer);
 *   <li>{@code GET /admin/users/NAME}: one account;
 *   <li>{@code PATCH /admin/users/NAME} {@code {"role"?, "password"?}}: changes the role or the
 *       password ({@code ""} removes it: token access only);
 *   <li>{@code POST /admin/users/NAME/token}: a new API token, the old one stops working;
 *   <li>{@code DELETE /admin/users/NAME}: removes the account (204). Its jobs and models stay,
 *       visible to administrators.
 * </ul>
 * Only callers with the admin role get anything but 401/403. The last administrator cannot be
 * removed or demoted here (that would lock the service's administration out until it is stopped).
 */
public final class AdminEndpoint implements Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(AdminEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ADD_FIELDS = Set.of("name", "role", "password");
    private static final Set<String> CHANGE_FIELDS = Set.of("role", "password");

    private final Accounts accounts;

    public AdminEndpoint(Accounts accounts) {
        this.accounts = accounts;
    }

    /** A refusal: its status and detail become the problem document. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status, String detail) {
            super(detail, null, false, false);
            this.status = status;
        }
    }

    @Override
    public HttpReply handle(String method, String path, Kvp kvp, Function<String, String> headers, byte[] body) {
        try {
            Principal who = Principal.current();
            if (who.role() != Role.ADMIN) {
                if (who.anonymous()) {
                    return HttpReply.problem(401, "account administration needs an administrator's credentials"
                            + " (HTTP Basic or Authorization: Bearer)")
                            .withHeader("WWW-Authenticate", "Basic realm=\"BayesNF\", Bearer realm=\"BayesNF\"");
                }
                return HttpReply.problem(403, who.describe() + " (role " + who.role().id()
                        + ") may not administer accounts; that takes the admin role");
            }
            HttpReply reply = route(method, path, body, who);
            return reply.withHeader("Cache-Control", "no-store");
        } catch (Refused e) {
            HttpReply r = HttpReply.problem(e.status, e.getMessage());
            return e.status == 405 ? r.withHeader("Allow", allowed(path)) : r;
        } catch (IllegalArgumentException e) {
            return HttpReply.problem(400, e.getMessage());
        } catch (SQLException e) {
            LOG.error("account administration {} {} failed", method, path, e);
            return HttpReply.problem(500, "the accounts could not be read or written; see the service log");
        }
    }

    private HttpReply route(String method, String path, byte[] body, Principal who) throws SQLException {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        if (p.equals("/users")) {
            return switch (method) {
                case "GET", "HEAD" -> list();
                case "POST" -> add(object(body, ADD_FIELDS), who);
                default -> throw new Refused(405, method + " is not allowed on /admin/users; allowed: GET, POST");
            };
        }
        if (p.startsWith("/users/")) {
            String[] parts = p.substring("/users/".length()).split("/", -1);
            String name = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            if (parts.length == 2 && parts[1].equals("token")) {
                if (!method.equals("POST")) {
                    throw new Refused(405, method + " is not allowed on a token; allowed: POST");
                }
                return token(name, who);
            }
            if (parts.length == 1 && !name.isEmpty()) {
                return switch (method) {
                    case "GET", "HEAD" -> HttpReply.of(200, "application/json", write(account(name)));
                    case "PATCH" -> change(name, object(body, CHANGE_FIELDS), who);
                    case "DELETE" -> remove(name, who);
                    default -> throw new Refused(405, method + " is not allowed on an account; allowed: GET, PATCH,"
                            + " DELETE");
                };
            }
        }
        throw new Refused(404, "no resource at '/admin" + path + "' (accounts are at /admin/users)");
    }

    private static String allowed(String path) {
        if (path.equals("/users") || path.equals("/users/")) {
            return "GET, POST";
        }
        return path.endsWith("/token") ? "POST" : "GET, PATCH, DELETE";
    }

    private HttpReply list() throws SQLException {
        ObjectNode root = JSON.createObjectNode();
        var users = root.putArray("users");
        for (Accounts.Account a : accounts.accounts()) {
            users.add(node(a));
        }
        return HttpReply.of(200, "application/json", write(root));
    }

    private HttpReply add(JsonNode req, Principal who) throws SQLException {
        String name = text(req, "name", true);
        Role role = Role.parse(text(req, "role", true));
        String password = text(req, "password", false);
        String token = accounts.add(name, role, password == null ? null : password.toCharArray());
        LOG.info("account '{}' ({}) added by {}", name, role.id(), who.describe());
        ObjectNode out = node(accounts.account(name).orElseThrow());
        out.put("token", token);
        return HttpReply.of(201, "application/json", write(out)).withHeader("Location", "users/" + name);
    }

    private HttpReply change(String name, JsonNode req, Principal who) throws SQLException {
        Accounts.Account before = account(name);
        String r = text(req, "role", false);
        Role role = r == null ? null : Role.parse(r);
        if (role != null && role != Role.ADMIN && before.role() == Role.ADMIN) {
            lastAdminCheck(name, "take the admin role from");
        }
        String password = text(req, "password", false);
        Accounts.Account after = accounts.change(name, role, password == null ? null : password.toCharArray());
        LOG.info("account '{}' changed by {}: role {}{}", name, who.describe(), after.role().id(),
                password == null ? "" : password.isEmpty() ? ", password removed" : ", new password");
        return HttpReply.of(200, "application/json", write(node(after)));
    }

    private HttpReply token(String name, Principal who) throws SQLException {
        account(name);
        String token = accounts.renewToken(name);
        LOG.info("account '{}' given a new API token by {}", name, who.describe());
        ObjectNode out = JSON.createObjectNode();
        out.put("name", name);
        out.put("token", token);
        return HttpReply.of(200, "application/json", write(out));
    }

    private HttpReply remove(String name, Principal who) throws SQLException {
        if (account(name).role() == Role.ADMIN) {
            lastAdminCheck(name, "remove");
        }
        accounts.remove(name);
        LOG.info("account '{}' removed by {}", name, who.describe());
        return HttpReply.of(204, null, new byte[0]);
    }

    /** Refuses to leave the service without an administrator account. */
    private void lastAdminCheck(String name, String what) throws SQLException {
        long admins = accounts.accounts().stream().filter(a -> a.role() == Role.ADMIN).count();
        if (admins <= 1) {
            throw new Refused(409, "cannot " + what + " '" + name + "': it is the last administrator account (add"
                    + " another administrator first)");
        }
    }

    private Accounts.Account account(String name) throws SQLException {
        Optional<Accounts.Account> a = accounts.account(name);
        return a.orElseThrow(() -> new Refused(404, "there is no account '" + name + "'"));
    }

    private static ObjectNode node(Accounts.Account a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", a.name());
        n.put("role", a.role().id());
        n.put("password", a.password());
        n.put("created", a.created() == null ? null : a.created().toString());
        return n;
    }

    /** The request body as a JSON object with only the {@code allowed} members. */
    private static JsonNode object(byte[] body, Set<String> allowed) {
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the request body is not JSON");
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("the request body must be a JSON object with " + String.join(", ",
                    allowed.stream().sorted().toList()));
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new IllegalArgumentException("unknown member '" + (f.length() > 40 ? f.substring(0, 40) + "..." : f)
                        + "'; expected " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return n;
    }

    private static String text(JsonNode req, String field, boolean required) {
        JsonNode v = req.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException("member '" + field + "' is missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("member '" + field + "' must be a string");
        }
        return v.asText();
    }

    private static byte[] write(Object o) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o instanceof Accounts.Account a ? node(a) : o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON of an account", e);
        }
    }

    @Override
    public HttpReply tooLarge(long limit) {
        return HttpReply.problem(413, "the request is larger than this service's limit of " + limit + " bytes");
    }
}
