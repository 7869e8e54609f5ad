-- A table from before encryption: its email column holds plaintext (stands for years of existing data).
CREATE TABLE patients (
    id    int PRIMARY KEY,
    email varchar(64) NOT NULL,
    ward  varchar(16)
);

INSERT INTO patients (id, email, ward)
VALUES (1, 'p1@example.com', 'north'), (2, 'p2@example.com', 'south'), (3, 'p3@example.com', 'north');
