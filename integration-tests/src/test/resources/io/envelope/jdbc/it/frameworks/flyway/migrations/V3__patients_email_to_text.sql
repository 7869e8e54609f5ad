-- patients.email is now listed with accept-plaintext: true. Ciphertext in a character column is base64 text,
-- longer than the plaintext, so the column is widened first (no literal mentions it, so this passes the wrapper).
ALTER TABLE patients ALTER COLUMN email TYPE text;
