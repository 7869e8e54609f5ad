package io.envelope.example;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.Optional;

public interface CustomerRepository extends JpaRepository<Customer, Long> {

    /** Works on the encrypted column because it is deterministic: the driver encrypts the argument. */
    Optional<Customer> findByEmail(String email);

    boolean existsByEmail(String email);
}
