"""Marketing: notifications to customers (e-mail, SMS, push) with consent and quiet hours."""
