package io.envelope.jdbc.it.frameworks.slices;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An entity with two encrypted fields: {@code email} (deterministic) and {@code holder} (randomized). */
@Entity
@Table(name = "cards")
public class Card {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "email", columnDefinition = "bytea", unique = true)
    private String email;

    @Column(name = "holder", columnDefinition = "bytea")
    private String holder;

    protected Card() {
    }

    public Card(String email, String holder) {
        this.email = email;
        this.holder = holder;
    }

    public Long getId() {
        return id;
    }

    public String getEmail() {
        return email;
    }

    public String getHolder() {
        return holder;
    }
}
