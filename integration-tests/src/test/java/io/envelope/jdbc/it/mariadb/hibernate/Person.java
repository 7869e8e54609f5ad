package io.envelope.jdbc.it.mariadb.hibernate;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Inheritance;
import jakarta.persistence.InheritanceType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;

import java.util.ArrayList;
import java.util.List;

/**
 * The root of a JOINED hierarchy ({@link Doctor}) with an element collection: three configured tables that Hibernate
 * joins, and bulk-mutates through a temporary id table.
 *
 * <pre>
 *   people:        { columns: { ssn:     { mode: deterministic } } }   # VARBINARY
 *   doctors:       { columns: { license: { mode: deterministic } } }   # TEXT
 *   person_phones: { columns: { phone:   { mode: deterministic } } }   # VARBINARY
 * </pre>
 */
@Entity(name = "Person")
@Table(name = "people")
@Inheritance(strategy = InheritanceType.JOINED)
public class Person {

    @Id
    private Long id;

    @Column(name = "ssn", columnDefinition = "varbinary(255)")
    private String ssn;

    @Column(name = "name")
    private String name;

    @ElementCollection
    @CollectionTable(name = "person_phones", joinColumns = @JoinColumn(name = "person_id"))
    @Column(name = "phone", columnDefinition = "varbinary(255)")
    private List<String> phones = new ArrayList<>();

    protected Person() {
    }

    public Person(Long id, String ssn, String name) {
        this.id = id;
        this.ssn = ssn;
        this.name = name;
    }

    public Long getId() { return id; }
    public String getSsn() { return ssn; }
    public String getName() { return name; }
    public List<String> getPhones() { return phones; }
}
