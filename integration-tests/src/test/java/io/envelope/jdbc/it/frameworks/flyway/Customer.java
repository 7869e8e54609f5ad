package io.envelope.jdbc.it.frameworks.flyway;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDate;

/** The table V1__customers.sql creates, as Hibernate validates it: encrypted fields declared bytea. */
@Entity
@Table(name = "customers")
public class Customer {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "email", columnDefinition = "bytea", nullable = false, unique = true)
    private String email;

    @Column(name = "full_name", columnDefinition = "bytea")
    private String fullName;

    @Column(name = "birth_date", columnDefinition = "bytea")
    private LocalDate birthDate;

    @Column(name = "tier", length = 16, nullable = false)
    private String tier;

    protected Customer() {
    }

    public String getEmail() {
        return email;
    }

    public String getFullName() {
        return fullName;
    }

    public LocalDate getBirthDate() {
        return birthDate;
    }
}
