package io.envelope.jdbc.keys;

import io.envelope.jdbc.crypto.DataKey;

import java.lang.reflect.Method;

/** Test-only look at a DataKey's bytes (package-private in crypto), to prove two rings hold the same key. */
public final class TestKeys {

    private TestKeys() {
    }

    public static boolean isDestroyed(DataKey key) {
        try {
            Method m = DataKey.class.getDeclaredMethod("isDestroyed");
            m.setAccessible(true);
            return (Boolean) m.invoke(key);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] bytesOf(DataKey key) {
        try {
            Method m = DataKey.class.getDeclaredMethod("keyBytes");
            m.setAccessible(true);
            return ((byte[]) m.invoke(key)).clone();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
