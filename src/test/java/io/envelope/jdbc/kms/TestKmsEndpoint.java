package io.envelope.jdbc.kms;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A KMS-protocol server for tests: AWS JSON 1.1 over HTTP on 127.0.0.1 ({@code X-Amz-Target: TrentService.Op},
 * JSON bodies with base64 blobs), so the real SDK {@code KmsClient} can talk to it through {@code endpoint:}.
 * Implements GenerateDataKey, Decrypt, Encrypt, ReEncrypt and DescribeKey with real AES-256-GCM wrapping under
 * per-key master keys, the encryption context as AAD (a mismatch is InvalidCiphertextException, as in KMS),
 * aliases, key state (disabled: DisabledException; pending deletion: KMSInvalidStateException), and failure
 * injection: AccessDeniedException per operation, ThrottlingException for the next N requests or for a while,
 * latency per request, and an outage
 * ({@link #stop()}: connections refused). Counts every request per operation (retries included).
 *
 * <p>Signatures are not checked (any static credentials work). It remembers every data key it handed out, so
 * tests can look for key bytes in logs.
 */
public final class TestKmsEndpoint implements AutoCloseable {

    public static final String ACCOUNT = "111122223333";
    public static final String REGION = "us-east-1";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int ID_BYTES = 16;
    private static final int NONCE_BYTES = 12;

    private static final class Key {
        final UUID id;
        final String arn;
        final byte[] material = new byte[32];
        volatile String state = "Enabled";

        Key(UUID id) {
            this.id = id;
            this.arn = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + id;
            RANDOM.nextBytes(material);
        }
    }

    /** A KMS error answered as HTTP 400 with {@code __type}. */
    private static final class KmsError extends Exception {
        final String code;
        final int status;

        KmsError(String code, String message) {
            this(code, message, 400);
        }

        KmsError(String code, String message, int status) {
            super(message, null, false, false);
            this.code = code;
            this.status = status;
        }
    }

    private final Map<UUID, Key> keys = new ConcurrentHashMap<>();
    private final Map<String, UUID> aliases = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final AtomicInteger throttleNext = new AtomicInteger();
    private volatile boolean storm;
    private volatile long stormEndsNanos;
    private final List<byte[]> issuedKeys = Collections.synchronizedList(new ArrayList<>());
    private volatile long latencyMillis;
    private HttpServer server;
    private ExecutorService executor;
    private int port;

    private TestKmsEndpoint() {
    }

    /** A running endpoint on a free port of 127.0.0.1. */
    public static TestKmsEndpoint start() throws IOException {
        TestKmsEndpoint endpoint = new TestKmsEndpoint();
        endpoint.listen(0);
        return endpoint;
    }

    private synchronized void listen(int onPort) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 64);
        server.createContext("/", this::handle);
        executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "test-kms");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        port = server.getAddress().getPort();
    }

    /** The URL for {@code kms.endpoint}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** An outage: the port is closed, connections are refused. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    /** Back after an outage, on the same port, with the same keys. */
    public synchronized void restart() throws IOException {
        if (server == null) {
            listen(port);
        }
    }

    @Override
    public void close() {
        stop();
    }

    // ---- keys and failure injection -------------------------------------------------------------------------

    /** A new enabled symmetric key; returns its ARN. */
    public String createKey() {
        Key key = new Key(UUID.randomUUID());
        keys.put(key.id, key);
        return key.arn;
    }

    /** Points {@code alias/NAME} at a key (creates or re-points, as UpdateAlias). */
    public void alias(String aliasName, String keyArn) {
        aliases.put(aliasName, find(keyArn).id);
    }

    public void disable(String keyArn) {
        find(keyArn).state = "Disabled";
    }

    public void enable(String keyArn) {
        find(keyArn).state = "Enabled";
    }

    public void scheduleDeletion(String keyArn) {
        find(keyArn).state = "PendingDeletion";
    }

    /** Answers AccessDeniedException to every request of this operation (e.g. "Decrypt") until allowed again. */
    public void deny(String operation) {
        denied.add(operation);
    }

    public void allow(String operation) {
        denied.remove(operation);
    }

    /** Answers ThrottlingException to the next {@code n} requests, whatever their operation. */
    public void throttleNext(int n) {
        throttleNext.set(n);
    }

    /**
     * Answers ThrottlingException to every request, whatever its operation, for {@code millis} from now (a
     * throttling storm: longer than the SDK's retries last).
     */
    public void throttleFor(long millis) {
        stormEndsNanos = System.nanoTime() + millis * 1_000_000L;
        storm = true;
    }

    /** Ends a throttling storm started with {@link #throttleFor}. */
    public void stopThrottling() {
        storm = false;
        throttleNext.set(0);
    }

    /** Each request waits this long before it is answered (to widen races). */
    public void latency(long millis) {
        latencyMillis = millis;
    }

    /** Requests received for one operation, failed and retried ones included. */
    public int calls(String operation) {
        AtomicInteger n = calls.get(operation);
        return n == null ? 0 : n.get();
    }

    public int totalCalls() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Requests per operation, sorted. */
    public Map<String, Integer> callCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        calls.forEach((op, n) -> counts.put(op, n.get()));
        return counts;
    }

    public void resetCounts() {
        calls.clear();
    }

    /** Every plaintext data key this endpoint handed out (GenerateDataKey and Decrypt answers). */
    public List<byte[]> issuedDataKeys() {
        synchronized (issuedKeys) {
            return List.copyOf(issuedKeys);
        }
    }

    private Key find(String keyIdOrArnOrAlias) {
        Key key = resolve(keyIdOrArnOrAlias);
        if (key == null) {
            throw new IllegalArgumentException("no such test key " + keyIdOrArnOrAlias);
        }
        return key;
    }

    private Key resolve(String keyId) {
        if (keyId == null) {
            return null;
        }
        String aliasPrefix = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":";
        String id = keyId;
        if (id.startsWith(aliasPrefix)) {
            id = id.substring(aliasPrefix.length());
        }
        if (id.startsWith("alias/")) {
            UUID target = aliases.get(id);
            return target == null ? null : keys.get(target);
        }
        if (id.startsWith("key/")) {
            id = id.substring(4);
        }
        try {
            return keys.get(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---- the protocol ---------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
            calls.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (latencyMillis > 0) {
                Thread.sleep(latencyMillis);
            }
            String answer;
            int status = 200;
            try {
                if (target == null || !target.startsWith("TrentService.")) {
                    throw new KmsError("UnknownOperationException", "X-Amz-Target " + target);
                }
                if (throttleNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0
                        || (storm && System.nanoTime() - stormEndsNanos < 0)) {
                    throw new KmsError("ThrottlingException", "Rate exceeded");
                }
                if (denied.contains(operation)) {
                    throw new KmsError("AccessDeniedException", "User: arn:aws:iam::" + ACCOUNT
                            + ":user/test is not authorized to perform: kms:" + operation);
                }
                Map<String, Object> request = Json.parseObject(new String(body, StandardCharsets.UTF_8));
                answer = Json.write(dispatch(operation, request));
            } catch (KmsError e) {
                status = e.status;
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("__type", e.code);
                error.put("message", e.getMessage());
                answer = Json.write(error);
                exchange.getResponseHeaders().add("x-amzn-ErrorType", e.code);
            } catch (RuntimeException e) {
                status = 400;
                answer = "{\"__type\":\"ValidationException\",\"message\":\"" + e.getClass().getSimpleName() + "\"}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, Object> dispatch(String operation, Map<String, Object> request) throws KmsError {
        return switch (operation) {
            case "DescribeKey" -> describeKey(request);
            case "GenerateDataKey" -> generateDataKey(request);
            case "Encrypt" -> encrypt(request);
            case "Decrypt" -> decrypt(request);
            case "ReEncrypt" -> reEncrypt(request);
            default -> throw new KmsError("UnsupportedOperationException", operation + " is not supported here");
        };
    }

    private Map<String, Object> describeKey(Map<String, Object> request) throws KmsError {
        Key key = existing((String) request.get("KeyId"));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("AWSAccountId", ACCOUNT);
        metadata.put("KeyId", key.id.toString());
        metadata.put("Arn", key.arn);
        metadata.put("Enabled", "Enabled".equals(key.state));
        metadata.put("KeyState", key.state);
        metadata.put("KeyUsage", "ENCRYPT_DECRYPT");
        metadata.put("KeySpec", "SYMMETRIC_DEFAULT");
        metadata.put("CustomerMasterKeySpec", "SYMMETRIC_DEFAULT");
        metadata.put("KeyManager", "CUSTOMER");
        metadata.put("Origin", "AWS_KMS");
        metadata.put("EncryptionAlgorithms", List.of("SYMMETRIC_DEFAULT"));
        return Map.of("KeyMetadata", metadata);
    }

    private Map<String, Object> generateDataKey(Map<String, Object> request) throws KmsError {
        Key key = usable((String) request.get("KeyId"));
        int bytes;
        if ("AES_256".equals(request.get("KeySpec"))) {
            bytes = 32;
        } else if ("AES_128".equals(request.get("KeySpec"))) {
            bytes = 16;
        } else if (request.get("NumberOfBytes") instanceof Number n) {
            bytes = n.intValue();
        } else {
            throw new KmsError("ValidationException", "KeySpec or NumberOfBytes is required");
        }
        byte[] plaintext = new byte[bytes];
        RANDOM.nextBytes(plaintext);
        issuedKeys.add(plaintext.clone());
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("CiphertextBlob", b64(seal(key, plaintext, context(request, "EncryptionContext"))));
        response.put("Plaintext", b64(plaintext));
        response.put("KeyId", key.arn);
        return response;
    }

    private Map<String, Object> encrypt(Map<String, Object> request) throws KmsError {
        Key key = usable((String) request.get("KeyId"));
        byte[] plaintext = unb64(request.get("Plaintext"));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("CiphertextBlob", b64(seal(key, plaintext, context(request, "EncryptionContext"))));
        response.put("KeyId", key.arn);
        response.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        return response;
    }

    private Map<String, Object> decrypt(Map<String, Object> request) throws KmsError {
        byte[] blob = unb64(request.get("CiphertextBlob"));
        Key key = blobKey(blob, (String) request.get("KeyId"));
        byte[] plaintext = open(key, blob, context(request, "EncryptionContext"));
        issuedKeys.add(plaintext.clone());
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("KeyId", key.arn);
        response.put("Plaintext", b64(plaintext));
        response.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        return response;
    }

    private Map<String, Object> reEncrypt(Map<String, Object> request) throws KmsError {
        byte[] blob = unb64(request.get("CiphertextBlob"));
        Key source = blobKey(blob, (String) request.get("SourceKeyId"));
        byte[] plaintext = open(source, blob, context(request, "SourceEncryptionContext"));
        Key destination = usable((String) request.get("DestinationKeyId"));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("CiphertextBlob", b64(seal(destination, plaintext, context(request,
                "DestinationEncryptionContext"))));
        response.put("SourceKeyId", source.arn);
        response.put("KeyId", destination.arn);
        return response;
    }

    private Key existing(String keyId) throws KmsError {
        if (keyId == null) {
            throw new KmsError("ValidationException", "KeyId is required");
        }
        Key key = resolve(keyId);
        if (key == null) {
            throw new KmsError("NotFoundException", "Key '" + keyId + "' does not exist");
        }
        return key;
    }

    private Key usable(String keyId) throws KmsError {
        Key key = existing(keyId);
        checkState(key);
        return key;
    }

    private static void checkState(Key key) throws KmsError {
        if ("Disabled".equals(key.state)) {
            throw new KmsError("DisabledException", key.arn + " is disabled.");
        }
        if (!"Enabled".equals(key.state)) {
            throw new KmsError("KMSInvalidStateException", key.arn + " is pending deletion.");
        }
    }

    /** The key a blob was made under; with a KeyId named, it must be that key (IncorrectKeyException otherwise). */
    private Key blobKey(byte[] blob, String namedKeyId) throws KmsError {
        if (blob.length < ID_BYTES + NONCE_BYTES + 16) {
            throw new KmsError("InvalidCiphertextException", null);
        }
        ByteBuffer id = ByteBuffer.wrap(blob, 0, ID_BYTES);
        Key key = keys.get(new UUID(id.getLong(), id.getLong()));
        if (key == null) {
            throw new KmsError("InvalidCiphertextException", null);
        }
        if (namedKeyId != null) {
            Key named = existing(namedKeyId);
            if (named != key) {
                throw new KmsError("IncorrectKeyException", "The key ID in the request does not identify a KMS key"
                        + " that can perform this operation.");
            }
        }
        checkState(key);
        return key;
    }

    private static byte[] seal(Key key, byte[] plaintext, byte[] aad) throws KmsError {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.material, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad);
            byte[] sealed = cipher.doFinal(plaintext);
            ByteBuffer blob = ByteBuffer.allocate(ID_BYTES + NONCE_BYTES + sealed.length);
            blob.putLong(key.id.getMostSignificantBits()).putLong(key.id.getLeastSignificantBits());
            blob.put(nonce).put(sealed);
            return blob.array();
        } catch (GeneralSecurityException e) {
            throw new KmsError("KMSInternalException", e.getClass().getSimpleName(), 500);
        }
    }

    private static byte[] open(Key key, byte[] blob, byte[] aad) throws KmsError {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.material, "AES"),
                    new GCMParameterSpec(128, blob, ID_BYTES, NONCE_BYTES));
            cipher.updateAAD(aad);
            return cipher.doFinal(blob, ID_BYTES + NONCE_BYTES, blob.length - ID_BYTES - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new KmsError("InvalidCiphertextException", null);
        } catch (GeneralSecurityException e) {
            throw new KmsError("KMSInternalException", e.getClass().getSimpleName(), 500);
        }
    }

    /** The encryption context as AAD: pairs sorted by key, each string length-prefixed (order-independent). */
    @SuppressWarnings("unchecked")
    private static byte[] context(Map<String, Object> request, String field) {
        Object value = request.get(field);
        Map<String, Object> pairs = value instanceof Map<?, ?> m ? new TreeMap<>((Map<String, Object>) m) : Map.of();
        ByteBuffer out = ByteBuffer.allocate(4096);
        for (Map.Entry<String, Object> pair : pairs.entrySet()) {
            for (String s : new String[] {pair.getKey(), String.valueOf(pair.getValue())}) {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                out.putInt(bytes.length).put(bytes);
            }
        }
        byte[] aad = new byte[out.position()];
        out.flip().get(aad);
        return aad;
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] unb64(Object value) throws KmsError {
        if (!(value instanceof String s)) {
            throw new KmsError("ValidationException", "blob is required");
        }
        return Base64.getDecoder().decode(s);
    }

    /** Just enough JSON: objects, arrays, strings, numbers, booleans, null. */
    static final class Json {
        private final String text;
        private int at;

        private Json(String text) {
            this.text = text;
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> parseObject(String text) {
            if (text.isBlank()) {
                return Map.of();
            }
            Json json = new Json(text);
            Object value = json.value();
            if (!(value instanceof Map)) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return (Map<String, Object>) value;
        }

        private Object value() {
            skip();
            char c = text.charAt(at);
            if (c == '{') {
                Map<String, Object> map = new LinkedHashMap<>();
                at++;
                skip();
                if (text.charAt(at) == '}') {
                    at++;
                    return map;
                }
                while (true) {
                    skip();
                    String key = string();
                    skip();
                    expect(':');
                    map.put(key, value());
                    skip();
                    if (text.charAt(at) == ',') {
                        at++;
                    } else {
                        expect('}');
                        return map;
                    }
                }
            }
            if (c == '[') {
                List<Object> list = new ArrayList<>();
                at++;
                skip();
                if (text.charAt(at) == ']') {
                    at++;
                    return list;
                }
                while (true) {
                    list.add(value());
                    skip();
                    if (text.charAt(at) == ',') {
                        at++;
                    } else {
                        expect(']');
                        return list;
                    }
                }
            }
            if (c == '"') {
                return string();
            }
            if (text.startsWith("true", at)) {
                at += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("false", at)) {
                at += 5;
                return Boolean.FALSE;
            }
            if (text.startsWith("null", at)) {
                at += 4;
                return null;
            }
            int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            return Double.parseDouble(text.substring(start, at));
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    char e = text.charAt(at++);
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        case 'u' -> {
                            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                            at += 4;
                        }
                        default -> out.append(e);
                    }
                } else {
                    out.append(c);
                }
            }
        }

        private void expect(char c) {
            if (text.charAt(at) != c) {
                throw new IllegalArgumentException("expected " + c + " at " + at);
            }
            at++;
        }

        private void skip() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(value, out);
            return out.toString();
        }

        private static void write(Object value, StringBuilder out) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof Map<?, ?> map) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(String.valueOf(e.getKey()), out);
                    out.append(':');
                    write(e.getValue(), out);
                }
                out.append('}');
            } else if (value instanceof List<?> list) {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(list.get(i), out);
                }
                out.append(']');
            } else if (value instanceof String s) {
                out.append('"');
                for (char c : s.toCharArray()) {
                    if (c == '"' || c == '\\') {
                        out.append('\\').append(c);
                    } else if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
                out.append('"');
            } else {
                out.append(value);
            }
        }
    }
}
