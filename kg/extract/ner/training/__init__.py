"""Training the project's own Stanza NER models: data generation (generate), training (train), scoring (score)."""
