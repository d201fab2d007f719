"""The demo gives every member a week of evenings and weekends, and the demo student exams, once."""

from types import SimpleNamespace

from sessions_app.smallgroups.demo import seed_availability
from sessions_app.smallgroups.models import AvailabilityException, BusyBlock, WeeklyAvailability
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory


def test_seed_availability_fills_every_week_and_is_idempotent(db):
    student, tutor, chair = UserFactory(), TutorFactory(), CommitteeFactory()
    others = UserFactory.create_batch(3)
    demo = SimpleNamespace(
        students=[student, *others],
        tutors=[tutor],
        committee=[chair],
        student=student,
        tutor=tutor,
        chair=chair,
    )
    seed_availability(demo=demo)
    first_blocks = BusyBlock.objects.count()
    seed_availability(demo=demo)
    assert BusyBlock.objects.count() == first_blocks
    # a weekly club evening (ten of them) and a day away, imported from each calendar file
    assert BusyBlock.objects.filter(member=student, source=BusyBlock.Source.FILE).count() == 11
    assert WeeklyAvailability.objects.count() == 6
    assert all(w.free_cells for w in WeeklyAvailability.objects.all())
    assert AvailabilityException.objects.filter(member=student, label="Exams").count() == 1
