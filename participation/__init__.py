"""Parent schools (家长学校), class codes, parent profiles and participation statistics."""
