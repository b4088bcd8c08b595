"""Exchange formats: ClaimReview and Web Annotations out, ClaimReview in, and the rating labels fact-checkers
publish."""
