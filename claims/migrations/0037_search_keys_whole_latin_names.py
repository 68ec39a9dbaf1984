from django.db import migrations


def rebuild_search_keys(apps, schema_editor):
    # core/aliases.tsv now unifies more of each region's words (機械人 and 机器人, 聯準會 and
    # 美联储, 短影音 and 短视频, 通膨 and 通胀, Intel and 英特尔), keeps 執行長時間, 融資安排
    # and 稀釋出現 whole, folds 雲端 to 云端 rather than 云 (which found 云南), and reads a
    # Latin name that digits follow (TSMC2024, Microsoft365); keys drop the spaces Taiwan's
    # style sets between Chinese and Latin or digits (台灣 AI 晶片), join thousands only
    # within a number (not iPhone 16 256GB), and lose zero-width spaces: keys written afresh
    # where they differ, as `manage.py rebuild_search_keys` writes them.
    from claims.search import KeyedModels
    from claims.search import rebuild_search_keys as rebuild

    rebuild(KeyedModels.migrated(apps))


class Migration(migrations.Migration):
    dependencies = [("claims", "0036_search_keys_more_regional_names")]

    # The old keys are not written back: `manage.py rebuild_search_keys` of the older code
    # does that.
    operations = [migrations.RunPython(rebuild_search_keys, migrations.RunPython.noop)]
