from django.db import migrations


def rebuild_search_keys(apps, schema_editor):
    # core/aliases.tsv now unifies more names and places as each region writes them (雪梨 and
    # 悉尼, 祖克柏 and 扎克伯格, 人臉辨識 and 人脸识别) and keeps 水晶片刻, 電影片段 and
    # 四川普通話 whole: keys written afresh where they differ, as `manage.py
    # rebuild_search_keys` writes them.
    from claims.search import KeyedModels
    from claims.search import rebuild_search_keys as rebuild

    rebuild(KeyedModels.migrated(apps))


class Migration(migrations.Migration):
    dependencies = [("claims", "0035_search_keys_keep_literal_words")]

    # The old keys are not written back: `manage.py rebuild_search_keys` of the older code
    # does that.
    operations = [migrations.RunPython(rebuild_search_keys, migrations.RunPython.noop)]
