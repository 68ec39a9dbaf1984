import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from claims.roles import get_system_user
from claims.seeds import FRONT_MATTER_FIELDS
from claims.selectors import open_candidates
from claims.services import source_create
from sources.models import Source
from sources.text import FrontMatterError, read_article

# The source's fields, as options and front matter name them; front matter may also use the
# names of saved web pages (date, from), as the seed articles do.
FIELDS = ("key", "title", "outlet", "author", "published", "url", "script", "region")
REQUIRED = ("title", "outlet", "script", "region")


def described(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


class Command(BaseCommand):
    help = (
        "Add an article from a .txt or .html file (front matter may give its metadata; options "
        "win) and list the sentences proposed as candidate claims."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the article, as plain text or HTML")
        parser.add_argument("--key", help="a stable identifier (default: from the file's name)")
        parser.add_argument("--title")
        parser.add_argument("--outlet")
        parser.add_argument("--author")
        parser.add_argument("--published", help="the date published, YYYY-MM-DD")
        parser.add_argument("--url")
        parser.add_argument("--script", choices=Source.Script.values)
        parser.add_argument("--region", choices=Source.Region.values)
        parser.add_argument(
            "--user",
            help="username to record as the one who added it (default: the system account)",
        )

    def handle(self, *args, file: Path, user, **options):
        try:
            article = read_article(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"There is no file {file}.") from None
        except UnicodeDecodeError as error:
            raise CommandError(f"{file.name} is not UTF-8 text ({error.reason}).") from None
        except FrontMatterError as error:
            raise CommandError(f"{file.name}: {error}.") from None
        values = {name: article.metadata.get(name) for name in FIELDS}
        for front_name, name in FRONT_MATTER_FIELDS.items():
            values[name] = values[name] or article.metadata.get(front_name)
        values.update({name: options[name] for name in FIELDS if options.get(name)})
        values["key"] = values["key"] or slugify(file.stem)
        missing = [name for name in REQUIRED if not values[name]]
        if missing:
            raise CommandError(
                f"Nothing was added: give the article's {', '.join(missing)} "
                f"(as --{missing[0]} or in the file's front matter)."
            )
        if not article.text.strip():
            raise CommandError(f"Nothing was added: {file.name} holds no readable text.")
        try:
            source = source_create(
                user=self.acting_user(user),
                key=str(values["key"]),
                title=str(values["title"]),
                outlet=str(values["outlet"]),
                author=str(values["author"] or ""),
                published_on=self.date(values["published"]),
                url=str(values["url"] or ""),
                script=str(values["script"]),
                region=str(values["region"]),
                text=article.text,
            )
        except ValidationError as error:
            raise CommandError(f"Nothing was added: {described(error)}") from None
        candidates = open_candidates(source)
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {source.key!r} ({len(source.text)} characters); "
                f"{len(candidates)} candidate claim(s) proposed:"
            )
        )
        for candidate in candidates:
            figure = candidate.figures[0].text if candidate.figures else "none"
            period = "–".join(
                dict.fromkeys(str(y) for y in (candidate.period_start, candidate.period_end) if y)
            )
            self.stdout.write(
                f"  @{candidate.start} {candidate.quote}\n"
                f"      figure: {figure}; cited origin: {candidate.cited_origin or 'none named'}; "
                f"period: {period or 'none stated'}"
            )

    def date(self, value):
        if not value or isinstance(value, datetime.date):
            return value or None
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            raise CommandError(
                f"Nothing was added: {value!r} is not a date (YYYY-MM-DD)."
            ) from None

    def acting_user(self, username: str | None):
        if not username:
            return get_system_user()
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
