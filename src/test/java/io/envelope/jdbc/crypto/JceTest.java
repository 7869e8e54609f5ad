package io.envelope.jdbc.crypto;

import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Jce.Engines#updateAad} keeps the last column's place in its scratch array between values; whatever the
 * order of columns and header lengths, GCM must be given exactly the header then the place of this call.
 */
class JceTest {

    private static final SecretKeySpec KEY = new SecretKeySpec(new byte[32], "AES");
    private static final byte[] PLAINTEXT = "x".getBytes(StandardCharsets.UTF_8);

    @Test
    void eachValueAuthenticatesItsOwnHeaderAndPlaceWhateverCameBefore() throws Exception {
        Jce.Engines engines = new Jce.Engines();
        byte[] placeA = Hkdf.lengthPrefixed(Hkdf.utf8("public.customers"), Hkdf.utf8("ssn"));
        byte[] sameBytesAsA = placeA.clone(); // another column cipher's array with equal content
        byte[] placeB = Hkdf.lengthPrefixed(Hkdf.utf8("public.customers"), Hkdf.utf8("note"));
        byte[] longPlace = Hkdf.lengthPrefixed(Hkdf.utf8("s".repeat(300)), Hkdf.utf8("c".repeat(100)));
        byte[][] places = {placeA, placeA, placeB, placeA, longPlace, placeB, sameBytesAsA, placeA, longPlace, longPlace};
        int[] headerLengths = {35, 35, 35, 7, 35, 35, 35, 12, 7, 35};
        for (int i = 0; i < places.length; i++) {
            byte[] header = new byte[headerLengths[i]];
            Arrays.fill(header, (byte) (i + 1)); // a different header every value
            assertThat(tagThroughEngines(engines, header, places[i]))
                    .as("value %d", i)
                    .isEqualTo(tagOfPlainAad(header, places[i]));
        }
    }

    private static byte[] tagThroughEngines(Jce.Engines engines, byte[] header, byte[] place)
            throws GeneralSecurityException {
        Cipher c = engines.gcm;
        c.init(Cipher.ENCRYPT_MODE, KEY, new GCMParameterSpec(128, nonce(header)));
        engines.updateAad(c, header, header.length, place);
        return c.doFinal(PLAINTEXT);
    }

    private static byte[] tagOfPlainAad(byte[] header, byte[] place) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, KEY, new GCMParameterSpec(128, nonce(header)));
        c.updateAAD(header);
        c.updateAAD(place);
        return c.doFinal(PLAINTEXT);
    }

    /** A nonce per header, so the engines' cipher (which refuses a reused key and nonce) takes every value. */
    private static byte[] nonce(byte[] header) {
        byte[] nonce = new byte[12];
        nonce[0] = header[0];
        nonce[1] = (byte) header.length;
        return nonce;
    }
}
