"""Settings come from PUSTAKA_* variables; a wrong value stops start-up with a message that names it."""

import pytest

from pustaka.config import ConfigError, load_settings


def test_no_urls_means_the_embedded_defaults(tmp_path):
    settings = load_settings({"PUSTAKA_DATA_DIR": str(tmp_path)})
    assert settings.embedded and settings.meili_url is None
    assert (settings.port, settings.host, settings.data_dir) == (8000, "127.0.0.1", tmp_path)
    assert len(settings.jwt_secret) >= 32
    assert load_settings({"PUSTAKA_DATA_DIR": str(tmp_path)}).jwt_secret == settings.jwt_secret


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PUSTAKA_PORT", "delapan ribu", "PUSTAKA_PORT='delapan ribu' is not a whole number"),
        ("PUSTAKA_PORT", "70000", "PUSTAKA_PORT='70000' must be between 1 and 65535"),
        (
            "PUSTAKA_DATABASE_URL",
            "mysql://x/y",
            "PUSTAKA_DATABASE_URL='mysql://x/y' must be a URL starting with postgresql:// or postgres://",
        ),
        (
            "PUSTAKA_MEILI_URL",
            "localhost:7700",
            "PUSTAKA_MEILI_URL='localhost:7700' must be a URL starting with http:// or https://",
        ),
        ("PUSTAKA_JWT_SECRET", "pendek", "PUSTAKA_JWT_SECRET must be at least 32 characters long"),
        ("PUSTAKA_LOG_LEVEL", "loud", "PUSTAKA_LOG_LEVEL='loud' must be one of debug, info, warning, error"),
    ],
)
def test_a_wrong_value_is_named_in_the_error(tmp_path, name, value, message):
    with pytest.raises(ConfigError) as caught:
        load_settings({"PUSTAKA_DATA_DIR": str(tmp_path), name: value})
    assert str(caught.value) == message
