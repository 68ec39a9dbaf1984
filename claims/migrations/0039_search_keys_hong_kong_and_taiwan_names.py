from django.db import migrations


def rebuild_search_keys(apps, schema_editor):
    # core/aliases.tsv now unifies Hong Kong's and Taiwan's names of companies, bodies, people
    # and places with the mainland's (嬌生 and 强生, 大陸委員會 and 陆委会, 碧咸 and 贝克汉姆,
    # 汶萊 and 文莱), everyday and market words (按揭 and 房贷, 的士 and 出租车, 帳 and 账), and
    # keeps 冰糖雪梨 and 古巴士兵 whole: keys written afresh where they differ, as
    # `manage.py rebuild_search_keys` writes them.
    from claims.search import KeyedModels
    from claims.search import rebuild_search_keys as rebuild

    rebuild(KeyedModels.migrated(apps))


class Migration(migrations.Migration):
    dependencies = [("claims", "0038_search_keys_names_without_dots")]

    # The old keys are not written back: `manage.py rebuild_search_keys` of the older code
    # does that.
    operations = [migrations.RunPython(rebuild_search_keys, migrations.RunPython.noop)]
