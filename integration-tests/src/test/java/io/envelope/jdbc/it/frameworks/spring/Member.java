package io.envelope.jdbc.it.frameworks.spring;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDate;

/** A Spring Data JPA entity; {@code email} and {@code birthDate} are encrypted by envelope-jdbc. */
@Entity
@Table(name = "members")
public class Member {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "email", columnDefinition = "bytea", unique = true)   // deterministic: findByEmail works
    private String email;

    @Column(name = "full_name", columnDefinition = "text")                // randomized, base64 text
    private String fullName;

    @Column(name = "birth_date", columnDefinition = "bytea")               // randomized date
    private LocalDate birthDate;

    @Column(name = "tier")                                                 // plaintext
    private String tier;

    protected Member() {
    }

    public Member(String email, String fullName, LocalDate birthDate, String tier) {
        this.email = email;
        this.fullName = fullName;
        this.birthDate = birthDate;
        this.tier = tier;
    }

    public Long getId() { return id; }
    public String getEmail() { return email; }
    public String getFullName() { return fullName; }
    public void setFullName(String fullName) { this.fullName = fullName; }
    public LocalDate getBirthDate() { return birthDate; }
    public String getTier() { return tier; }
}
