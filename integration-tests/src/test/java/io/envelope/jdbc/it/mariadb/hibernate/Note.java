package io.envelope.jdbc.it.mariadb.hibernate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Generated;

import java.time.LocalDateTime;

/**
 * An entity whose database-generated values Hibernate reads back on insert: an IDENTITY id and a column the server
 * fills ({@code @Generated}), beside an encrypted field.
 */
@Entity(name = "Note")
@Table(name = "notes")
public class Note {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "author", columnDefinition = "varbinary(255)")
    private String author;

    @Column(name = "body", columnDefinition = "text")
    private String body;

    @Generated
    @Column(name = "created_at", insertable = false, updatable = false)
    private LocalDateTime createdAt;

    protected Note() {
    }

    public Note(String author, String body) {
        this.author = author;
        this.body = body;
    }

    public Long getId() { return id; }
    public String getAuthor() { return author; }
    public String getBody() { return body; }
    public void setBody(String body) { this.body = body; }
    public LocalDateTime getCreatedAt() { return createdAt; }
}
