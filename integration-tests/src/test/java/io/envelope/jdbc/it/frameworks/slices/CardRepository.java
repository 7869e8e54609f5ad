package io.envelope.jdbc.it.frameworks.slices;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.Optional;

public interface CardRepository extends JpaRepository<Card, Long> {

    Optional<Card> findByEmail(String email);
}
