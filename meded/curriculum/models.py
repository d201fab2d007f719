"""The curriculum the society teaches: years, modules and topics."""

from django.db import models


class Year(models.Model):
    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=6), name="year_number_1_to_6"
            )
        ]

    def __str__(self) -> str:
        return self.name or f"Year {self.number}"


class Module(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    code = models.CharField(
        max_length=30, unique=True, help_text="Short stable code, e.g. CARD-301."
    )
    title = models.CharField(max_length=200)
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="topics")
    years = models.ManyToManyField(Year, related_name="topics", help_text="Years it serves.")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["module__name", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
