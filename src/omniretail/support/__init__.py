"""Customer service: tickets from every channel, SLA clocks, escalation, callbacks, canned replies, CSAT."""
