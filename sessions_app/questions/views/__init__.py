"""The question pages, one module per concept: bank (write, review, import), practice, exams."""
