"""Payments: gateways, cash, gift cards and store credit (ledgers), split tender, refunds, POS cash drawers."""
