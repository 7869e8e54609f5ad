package io.envelope.jdbc.it.frameworks.flyway;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The legacy table after V3: email is text (holding base64 ciphertext), which a String field validates against. */
@Entity
@Table(name = "patients")
public class Patient {

    @Id
    private Integer id;

    @Column(name = "email", columnDefinition = "text", nullable = false)
    private String email;

    @Column(name = "ward", length = 16)
    private String ward;

    protected Patient() {
    }

    public String getEmail() {
        return email;
    }

    public String getWard() {
        return ward;
    }
}
