package io.envelope.jdbc.it.mariadb.hibernate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An unversioned entity with an assigned id: what {@code StatelessSession.upsert} writes as one
 * {@code INSERT … ON DUPLICATE KEY UPDATE} (a versioned entity gets an UPDATE and then an INSERT instead).
 *
 * <pre>
 *   contacts:
 *     columns:
 *       email: { mode: deterministic }   # VARBINARY
 *       phone: { mode: randomized }      # TEXT, base64
 * </pre>
 */
@Entity(name = "Contact")
@Table(name = "contacts")
public class Contact {

    @Id
    private Long id;

    @Column(name = "email", columnDefinition = "varbinary(255)")
    private String email;

    @Column(name = "phone", columnDefinition = "text")
    private String phone;

    @Column(name = "label")
    private String label;

    protected Contact() {
    }

    public Contact(Long id, String email, String phone, String label) {
        this.id = id;
        this.email = email;
        this.phone = phone;
        this.label = label;
    }

    public Long getId() { return id; }
    public String getEmail() { return email; }
    public String getPhone() { return phone; }
    public void setPhone(String phone) { this.phone = phone; }
    public String getLabel() { return label; }
    public void setLabel(String label) { this.label = label; }
}
