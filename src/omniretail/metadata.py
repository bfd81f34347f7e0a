"""Every context's tables on one ``MetaData``, for Alembic and for tests that compare schema to models."""

from __future__ import annotations

from omniretail.identity import models as identity_models
from omniretail.kernel import jobs, outbox
from omniretail.kernel.db import Base

MODEL_MODULES = (outbox, jobs, identity_models)
metadata = Base.metadata
