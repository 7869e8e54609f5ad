package io.envelope.jdbc.it.frameworks.hibernate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.NaturalId;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

/**
 * An ordinary JPA entity whose sensitive fields are encrypted by envelope-jdbc. Nothing in the mapping knows
 * about encryption except {@code columnDefinition}: an encrypted column is physically {@code bytea} (or
 * {@code text}) whatever its Java type, and saying so lets {@code hbm2ddl=validate} (and schema creation) agree
 * with the database. String fields stored as {@code text} need nothing. On MariaDB the same entity is mapped
 * with {@code VARBINARY} instead of {@code bytea}, by the mapping file its tests add
 * (hibernate/patient-mariadb.orm.xml). The natural id is mutable: a patient's email can change.
 *
 * <pre>
 *   patients:                                   # envelope.yaml
 *     columns:
 *       email:        { mode: deterministic }                 # String, @NaturalId, queried by equality
 *       national_id:  { mode: deterministic, type: uuid }     # UUID, queried by equality
 *       birth_date:   { type: date }                          # LocalDate
 *       risk_score:   { mode: deterministic, type: int }      # Integer, queried with IN
 *       balance:      { type: decimal, scale: 2 }             # BigDecimal
 *       scan:         { type: bytes }                         # byte[]
 *       notes:        { pad: 32 }                             # String, stored as base64 text
 * </pre>
 */
@Entity
@Table(name = "patients")
public class Patient {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "patients_seq")
    @SequenceGenerator(name = "patients_seq", sequenceName = "patients_seq", allocationSize = 50)
    private Long id;

    @Version
    private int version;

    @NaturalId(mutable = true)
    @Column(name = "email", columnDefinition = "bytea", nullable = false, unique = true)
    private String email;

    @Column(name = "national_id", columnDefinition = "bytea")
    private UUID nationalId;

    @Column(name = "birth_date", columnDefinition = "bytea")
    private LocalDate birthDate;

    @Column(name = "risk_score", columnDefinition = "bytea")
    private Integer riskScore;

    @Column(name = "balance", columnDefinition = "bytea")
    private BigDecimal balance;

    @Column(name = "scan", columnDefinition = "bytea")
    private byte[] scan;

    @Column(name = "notes", columnDefinition = "text")
    private String notes;

    /** A plaintext column beside the encrypted ones: sorting and range queries work as usual. */
    @Column(name = "ward")
    private String ward;

    protected Patient() {
    }

    public Patient(String email, String ward) {
        this.email = email;
        this.ward = ward;
    }

    public Long getId() { return id; }
    public void setId(Long id) { this.id = id; }
    public int getVersion() { return version; }
    public void setVersion(int version) { this.version = version; }
    public String getEmail() { return email; }
    public void setEmail(String email) { this.email = email; }
    public UUID getNationalId() { return nationalId; }
    public void setNationalId(UUID nationalId) { this.nationalId = nationalId; }
    public LocalDate getBirthDate() { return birthDate; }
    public void setBirthDate(LocalDate birthDate) { this.birthDate = birthDate; }
    public Integer getRiskScore() { return riskScore; }
    public void setRiskScore(Integer riskScore) { this.riskScore = riskScore; }
    public BigDecimal getBalance() { return balance; }
    public void setBalance(BigDecimal balance) { this.balance = balance; }
    public byte[] getScan() { return scan; }
    public void setScan(byte[] scan) { this.scan = scan; }
    public String getNotes() { return notes; }
    public void setNotes(String notes) { this.notes = notes; }
    public String getWard() { return ward; }
    public void setWard(String ward) { this.ward = ward; }
}
