"""The need areas: the eight of the RAR guidance and two the rate card's services address.

Source: ../shared/seeds/001_246201b7ec5ee73b.txt, section 3 "Assessing rehabilitative needs".
"""

from __future__ import annotations

from typing import Literal

NeedArea = Literal[
    "accommodation",
    "education_training_employment",
    "relationships",
    "lifestyle_associates",
    "alcohol_misuse",
    "emotional_management",
    "attitudes_thinking_behaviour",
    "finance_benefits_debt",
    "drug_misuse",
    "physical_health",
]

# The eight of the guidance, in its order, then the two the rate card adds.
GUIDANCE_NEEDS: tuple[str, ...] = (
    "accommodation",
    "education_training_employment",
    "relationships",
    "lifestyle_associates",
    "alcohol_misuse",
    "emotional_management",
    "attitudes_thinking_behaviour",
    "finance_benefits_debt",
)
NEED_AREAS: tuple[str, ...] = (*GUIDANCE_NEEDS, "drug_misuse", "physical_health")

# The need areas in words. The guidance's area is "non-dependent alcohol misuse" because before
# sentence dependence goes to an alcohol treatment requirement (section 2); but a dependent
# person whose order (or licence) has no ATR keeps the need, planned for here, so the label
# says only "alcohol misuse", true for both.
NEED_LABELS: dict[str, str] = {
    "accommodation": "Accommodation",
    "education_training_employment": "Education, training and employment",
    "relationships": "Relationships",
    "lifestyle_associates": "Lifestyle and associates",
    "alcohol_misuse": "Alcohol misuse",
    "emotional_management": "Emotional management",
    "attitudes_thinking_behaviour": "Attitudes, thinking and behaviour",
    "finance_benefits_debt": "Finance, benefits and debt",
    "drug_misuse": "Drug misuse",
    "physical_health": "Physical health",
}

# Short forms for narrow tables.
NEED_SHORT: dict[str, str] = {
    "accommodation": "accommodation",
    "education_training_employment": "ETE",
    "relationships": "relationships",
    "lifestyle_associates": "lifestyle",
    "alcohol_misuse": "alcohol",
    "emotional_management": "emotions",
    "attitudes_thinking_behaviour": "thinking",
    "finance_benefits_debt": "finance",
    "drug_misuse": "drugs",
    "physical_health": "health",
}
