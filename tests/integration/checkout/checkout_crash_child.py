"""Child process for the crash test: run placement step 1 (hold), tell the parent, then wait to be killed."""

from __future__ import annotations

import sys
import time
import uuid
from pathlib import Path

from omniretail.checkout import placement
from omniretail.kernel.db import Database
from omniretail.payments.rules import TEST_CARD_APPROVE, TenderRequest

url, cart_id, key, flag = sys.argv[1:5]
db = Database(url)
placement._hold(db, uuid.UUID(cart_id), key, [TenderRequest("card", card_number=TEST_CARD_APPROVE)], "guest", None)
Path(flag).write_text("held")
while True:  # the gateway call would come next; the parent kills us first
    time.sleep(0.1)
