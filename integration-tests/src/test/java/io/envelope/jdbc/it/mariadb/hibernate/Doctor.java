package io.envelope.jdbc.it.mariadb.hibernate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A subclass of {@link Person} in a table of its own, with an encrypted column there too. */
@Entity(name = "Doctor")
@Table(name = "doctors")
public class Doctor extends Person {

    @Column(name = "license", columnDefinition = "text")
    private String license;

    protected Doctor() {
    }

    public Doctor(Long id, String ssn, String name, String license) {
        super(id, ssn, name);
        this.license = license;
    }

    public String getLicense() { return license; }
}
