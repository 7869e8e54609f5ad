package io.envelope.example;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

import java.time.Instant;

/**
 * {@code POST /customers {"email": ..., "name": ...}} creates a customer; {@code GET /customers?email=...} finds one.
 */
@RestController
@RequestMapping("/customers")
public class CustomerController {

    public record NewCustomer(String email, String name) {
    }

    public record CustomerView(Long id, String email, String name, Instant createdAt) {
        static CustomerView of(Customer customer) {
            return new CustomerView(customer.getId(), customer.getEmail(), customer.getName(),
                    customer.getCreatedAt());
        }
    }

    private final CustomerRepository customers;

    public CustomerController(CustomerRepository customers) {
        this.customers = customers;
    }

    @PostMapping
    @Transactional
    public ResponseEntity<CustomerView> create(@RequestBody NewCustomer body) {
        if (body.email() == null || body.email().isBlank() || body.name() == null || body.name().isBlank()) {
            return ResponseEntity.badRequest().build();
        }
        if (customers.existsByEmail(body.email())) {
            return ResponseEntity.status(HttpStatus.CONFLICT).build();
        }
        Customer saved = customers.save(new Customer(body.email(), body.name()));
        return ResponseEntity.created(UriComponentsBuilder.fromPath("/customers")
                        .queryParam("email", body.email()).build().encode().toUri())
                .body(CustomerView.of(saved));
    }

    @GetMapping(params = "email")
    public ResponseEntity<CustomerView> find(@RequestParam String email) {
        return customers.findByEmail(email).map(CustomerView::of)
                .map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.notFound().build());
    }
}
