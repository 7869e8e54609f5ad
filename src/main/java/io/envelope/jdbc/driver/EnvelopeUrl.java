package io.envelope.jdbc.driver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A {@code jdbc:envelope:} URL taken apart (see README, Quick start; docs/configuration.md, Where the configuration comes from): the target URL the target driver receives, and the
 * {@code envelope.*} query parameters, which are removed so the target driver never sees them.
 */
public record EnvelopeUrl(String targetUrl, Map<String, String> envelopeParameters) {

    public static final String PREFIX = "jdbc:envelope:";
    /** Connection properties and URL parameters with this prefix belong to the wrapper. */
    public static final String PARAMETER_PREFIX = "envelope.";

    public EnvelopeUrl {
        envelopeParameters = Collections.unmodifiableMap(new LinkedHashMap<>(envelopeParameters));
    }

    public static boolean accepts(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /**
     * Parses {@code jdbc:envelope:postgresql://db/app?envelope.config=x&ssl=true} into
     * {@code jdbc:postgresql://db/app?ssl=true} and {@code {envelope.config=x}}.
     */
    public static EnvelopeUrl parse(String url) {
        if (!accepts(url)) {
            throw new IllegalArgumentException("not a jdbc:envelope: URL");
        }
        String target = "jdbc:" + url.substring(PREFIX.length());
        int query = target.indexOf('?');
        if (query < 0) {
            return new EnvelopeUrl(target, Map.of());
        }
        Map<String, String> envelope = new LinkedHashMap<>();
        StringBuilder kept = new StringBuilder();
        for (String pair : target.substring(query + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String name = URLDecoder.decode(rawName, StandardCharsets.UTF_8);
            if (name.startsWith(PARAMETER_PREFIX)) {
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                envelope.put(name, value);
            } else {
                kept.append(kept.length() == 0 ? '?' : '&').append(pair);
            }
        }
        return new EnvelopeUrl(target.substring(0, query) + kept, envelope);
    }

    /** A copy of the connection properties without the wrapper's own ({@code envelope.*}) entries. */
    public static Properties targetProperties(Properties info) {
        Properties target = new Properties();
        if (info != null) {
            for (String name : info.stringPropertyNames()) {
                if (!name.startsWith(PARAMETER_PREFIX)) {
                    target.setProperty(name, info.getProperty(name));
                }
            }
        }
        return target;
    }
}
