# The meded app image: web (gunicorn), worker and beat all run from it.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN useradd --create-home --uid 1000 meded
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir ".[s3]" || true
COPY . .
RUN pip install --no-cache-dir -e ".[s3]" \
    && DEBUG=false SECRET_KEY=collectstatic-only EMAIL_URL=consolemail:// python manage.py collectstatic --noinput \
    && mkdir -p /app/private-media && chown -R meded /app/private-media
USER meded
EXPOSE 8000
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "meded.wsgi:application"]
