# One image for web, worker and beat.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN useradd --create-home terrain
# What runs, as locked (make lock): every package pinned, each file checked against its hash.
COPY pyproject.toml README.md requirements.txt ./
RUN pip install --upgrade pip && pip install --require-hashes -r requirements.txt \
    && pip install --no-deps .
COPY . .
RUN DEBUG=false SECRET_KEY=build-only python manage.py collectstatic --noinput
USER terrain
EXPOSE 8000
CMD ["gunicorn", "campaign.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
