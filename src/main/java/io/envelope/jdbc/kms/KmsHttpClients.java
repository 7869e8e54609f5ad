package io.envelope.jdbc.kms;

import software.amazon.awssdk.http.SdkHttpClient;

import java.time.Duration;

/**
 * Which synchronous HTTP client the aws-kms provider's KmsClient uses. The SDK's {@code url-connection-client}
 * (the JDK's HttpURLConnection: no extra dependencies) when it is on the class path; otherwise none is named and
 * the SDK takes the one it finds (the {@code apache-client} that {@code software.amazon.awssdk:kms} brings by
 * default, or {@code aws-crt-client}). The url-connection client's classes are only touched when present, through
 * {@link UrlConnectionClient}, so this class loads without them.
 */
final class KmsHttpClients {

    static final String URL_CONNECTION = "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient";
    /** The synchronous clients the SDK can find by itself, with their artifacts. */
    static final String[][] SYNC_CLIENTS = {
            {URL_CONNECTION, "software.amazon.awssdk:url-connection-client"},
            {"software.amazon.awssdk.http.apache.ApacheHttpClient", "software.amazon.awssdk:apache-client"},
            {"software.amazon.awssdk.http.apache5.Apache5HttpClient", "software.amazon.awssdk:apache5-client"},
            {"software.amazon.awssdk.http.crt.AwsCrtHttpClient", "software.amazon.awssdk:aws-crt-client"},
    };

    private KmsHttpClients() {
    }

    /**
     * The url-connection client with these connect and read timeouts when it is on the class path, else null (the
     * SDK then uses its default synchronous client, bounded by the override configuration's timeouts).
     */
    static SdkHttpClient preferred(Duration connectTimeout, Duration socketTimeout) {
        return KmsProviders.present(URL_CONNECTION) ? UrlConnectionClient.build(connectTimeout, socketTimeout) : null;
    }

    /** Whether any synchronous HTTP client the SDK can use is on the class path. */
    static boolean anyPresent() {
        for (String[] client : SYNC_CLIENTS) {
            if (KmsProviders.present(client[0])) {
                return true;
            }
        }
        return false;
    }

    /** Only loaded when the url-connection client is present. */
    private static final class UrlConnectionClient {
        static SdkHttpClient build(Duration connectTimeout, Duration socketTimeout) {
            return software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
                    .connectionTimeout(connectTimeout)
                    .socketTimeout(socketTimeout)
                    .build();
        }
    }
}
