import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from meded.models import Module, Topic, User, Year
from meded.roles import COMMITTEE_GROUP, TUTORS_GROUP

PASSWORD = "test-password-2026"


def year(number: int) -> Year:
    return Year.objects.get_or_create(number=number, defaults={"name": f"Year {number}"})[0]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@demo.meded.test")
    full_name = factory.Faker("name", locale="en_GB")
    year_of_study = "3"
    verified_year = factory.SelfAttribute("year_of_study")  # as if the committee had verified it
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)


class TutorFactory(UserFactory):
    year_of_study = "5"

    @factory.post_generation
    def tutor_role(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get_or_create(name=TUTORS_GROUP)[0])


class CommitteeFactory(UserFactory):
    year_of_study = "6"

    @factory.post_generation
    def committee_role(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get_or_create(name=COMMITTEE_GROUP)[0])


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module
        django_get_or_create = ["name"]

    # zero-padded, so that modules sort as they were made (a list ordered by module name)
    name = factory.Sequence(lambda n: f"Module {n:03d}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"TOP-{n:03d}")
    title = factory.Sequence(lambda n: f"Topic {n}")
    module = factory.SubFactory(ModuleFactory)

    @factory.post_generation
    def years(obj, create, extracted, **kwargs):
        if create:
            obj.years.set([year(n) for n in (extracted or [3])])
