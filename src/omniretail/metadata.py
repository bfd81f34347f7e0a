"""Every context's tables on one ``MetaData``, for Alembic and for tests that compare schema to models."""

from __future__ import annotations

from omniretail.analytics import models as analytics_models
from omniretail.branding import models as branding_models
from omniretail.cart import models as cart_models
from omniretail.catalog import models as catalog_models
from omniretail.channels import models as channels_models
from omniretail.checkout import models as checkout_models
from omniretail.customers import models as customers_models
from omniretail.fulfillment import models as fulfillment_models
from omniretail.identity import models as identity_models
from omniretail.inventory import models as inventory_models
from omniretail.kernel import jobs, numbers, outbox
from omniretail.kernel.db import Base
from omniretail.loyalty import models as loyalty_models
from omniretail.marketing import models as marketing_models
from omniretail.ordering import models as ordering_models
from omniretail.payments import models as payments_models
from omniretail.pricing import models as pricing_models
from omniretail.promotions import models as promotions_models
from omniretail.returns import models as returns_models
from omniretail.reviews import models as reviews_models
from omniretail.support import models as support_models
from omniretail.support.chat import models as chat_models

MODEL_MODULES = (outbox, jobs, numbers, identity_models, catalog_models, channels_models, pricing_models,
                 inventory_models, cart_models, checkout_models, payments_models, ordering_models,
                 branding_models, customers_models, loyalty_models, promotions_models, fulfillment_models,
                 returns_models, support_models, chat_models, reviews_models, marketing_models,
                 analytics_models)
metadata = Base.metadata
