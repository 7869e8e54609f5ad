package io.envelope.jdbc.crypto;

import io.envelope.jdbc.config.EncryptionMode;
import io.envelope.jdbc.config.PlaintextType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Destroying a data key overwrites the sub-keys derived from it (which the JDK's SecretKeySpec cannot do). */
class KeyWipingTest {

    @Test
    void destroyingADataKeyDestroysItsDerivedSubKeys() throws Exception {
        DataKey key = Fixtures.key();
        ColumnCipher randomized = Fixtures.cipher("note", Fixtures.column("note", EncryptionMode.RANDOMIZED,
                PlaintextType.TEXT));
        ColumnCipher deterministic = Fixtures.cipher("email", Fixtures.column("email", EncryptionMode.DETERMINISTIC,
                PlaintextType.TEXT));
        randomized.encrypt("x", key);
        deterministic.encrypt("y", key);
        WipeableKey writerKey = null;
        KeyMaterial.Deterministic subKeys = null;
        for (KeyMaterial material : key.derived.values()) {
            if (writerKey == null) {
                try {
                    writerKey = material.writer().key;
                } catch (RuntimeException ignored) {
                    // not a randomized column's material
                }
            }
            try {
                subKeys = subKeys != null ? subKeys : material.deterministic();
            } catch (RuntimeException ignored) {
                // not a deterministic column's material
            }
        }
        assertThat(writerKey).isNotNull();
        assertThat(subKeys).isNotNull();
        assertThat(writerKey.isDestroyed()).isFalse();

        key.destroy();

        assertThat(writerKey.isDestroyed()).isTrue();
        assertThat(subKeys.enc.isDestroyed()).isTrue();
        assertThat(subKeys.mac.isDestroyed()).isTrue();
        assertThat(subKeys.iv.isDestroyed()).isTrue();
        assertThatThrownBy(writerKey::getEncoded).isInstanceOf(IllegalStateException.class);
        assertThat(TestBytes.keyBytes(key)).containsOnly((byte) 0);
    }

    /** The data key's own array, read in-package. */
    private static final class TestBytes {
        static byte[] keyBytes(DataKey key) {
            return key.keyBytes();
        }
    }
}
