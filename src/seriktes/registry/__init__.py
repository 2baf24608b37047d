"""Registry domain: regions (KATO), organisations, product classifiers, units of measure."""
