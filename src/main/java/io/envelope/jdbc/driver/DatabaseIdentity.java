package io.envelope.jdbc.driver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;

/**
 * What identifies a target database for sharing one runtime (keys, plans, layouts) between connections: for
 * PostgreSQL the servers, the database and the user, whatever else the URL says — 300 URLs that differ only in
 * {@code ApplicationName}, {@code ssl} or timeouts are one database and share one runtime, so a table's key is
 * unwrapped once, not once per URL. For other databases, the whole target URL and the user (a conservative
 * default: two spellings of one database then merely get two runtimes).
 *
 * <p>Never includes a password: the identity is kept for the runtime's life.
 */
record DatabaseIdentity(String database, String user) {

    private static final String POSTGRESQL = "jdbc:postgresql:";

    /**
     * @param targetUrl        the target URL (without {@code envelope.*} parameters)
     * @param targetProperties the properties the target driver receives
     */
    static DatabaseIdentity of(String targetUrl, Properties targetProperties) {
        Properties merged = new Properties();
        merged.putAll(targetProperties);
        int query = targetUrl.indexOf('?');
        String base = query < 0 ? targetUrl : targetUrl.substring(0, query);
        if (query >= 0) {
            // as pgJDBC does, parameters in the URL win over connection properties
            for (String pair : targetUrl.substring(query + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    merged.setProperty(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
                }
            }
        }
        String user = merged.getProperty("user", "");
        if (!base.regionMatches(true, 0, POSTGRESQL, 0, POSTGRESQL.length())) {
            return new DatabaseIdentity(withoutPassword(targetUrl), user);
        }
        return new DatabaseIdentity(postgresql(base.substring(POSTGRESQL.length()), merged), user);
    }

    /** {@code postgresql://host1:port1,host2:port2/database}, hosts lower-cased, default port filled in. */
    private static String postgresql(String rest, Properties merged) {
        String hosts = merged.getProperty("PGHOST", "localhost");
        String ports = merged.getProperty("PGPORT", "5432");
        String database = merged.getProperty("PGDBNAME", "");
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            String authority = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
            if (slash >= 0) {
                database = decode(rest.substring(slash + 1));
            }
            if (!authority.isEmpty()) {
                StringBuilder normalized = new StringBuilder();
                for (String host : authority.split(",")) {
                    int colon = host.lastIndexOf(':');
                    boolean hasPort = colon > host.lastIndexOf(']');
                    normalized.append(normalized.length() == 0 ? "" : ",")
                            .append((hasPort ? host.substring(0, colon) : host).toLowerCase(Locale.ROOT))
                            .append(':').append(hasPort ? host.substring(colon + 1) : "5432");
                }
                return "postgresql://" + normalized + "/" + database;
            }
        } else if (!rest.isEmpty() && !rest.equals("/")) {
            database = decode(rest.startsWith("/") ? rest.substring(1) : rest);
        }
        StringBuilder normalized = new StringBuilder();
        String[] hostList = hosts.split(",");
        String[] portList = ports.split(",");
        for (int i = 0; i < hostList.length; i++) {
            normalized.append(i == 0 ? "" : ",").append(hostList[i].trim().toLowerCase(Locale.ROOT)).append(':')
                    .append(portList[Math.min(i, portList.length - 1)].trim());
        }
        return "postgresql://" + normalized + "/" + database;
    }

    private static String withoutPassword(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1");
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
