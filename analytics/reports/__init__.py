"""The digest, the alerts and the board pack beyond their figures: reading what they show from the store,
the e-mail (building and sending it over SMTP), and the record of the alerts already sent."""
