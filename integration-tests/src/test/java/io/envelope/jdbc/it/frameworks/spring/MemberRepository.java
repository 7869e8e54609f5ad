package io.envelope.jdbc.it.frameworks.spring;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;
import java.util.Optional;

/** Derived queries on encrypted deterministic columns: {@code where m.email = ?}. */
public interface MemberRepository extends JpaRepository<Member, Long> {

    Optional<Member> findByEmail(String email);

    List<Member> findByEmailIn(List<String> emails);

    boolean existsByEmail(String email);

    long deleteByEmail(String email);

    /** {@code where m.email like ?}: refused by envelope-jdbc (LIKE cannot work on ciphertext). */
    List<Member> findByEmailContaining(String part);
}
